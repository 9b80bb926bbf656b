// Claim: adversarial training with FGSM examples raises the accuracy under an FGSM attack of the same
//   size (robust accuracy) by a wide margin, at the cost of some accuracy on clean inputs.
// Paper: Goodfellow, Shlens, Szegedy 2015, "Explaining and Harnessing Adversarial Examples", ICLR
//   (section 5: x_adv = x + eps sign(grad_x J), training on half clean, half adversarial examples).
// Setting: the embedded digits with pixels min-max scaled to [0, 1], validation 25%; MLP 64-64-ReLU-10,
//   Adam lr 3e-3, batch 32, `epochs` (10) epochs; training = plain or fgsm (half of each batch
//   replaced by FGSM examples with eps `eps` (0.1), clipped to [0, 1]); 3 seeds. robust_accuracy
//   measures the validation accuracy under FGSM with the same eps after every epoch
//   (val_robust_accuracy); val_accuracy is the clean accuracy.
//
//   ./regimen run scripts/experiments/fgsm_adversarial.js         # 6 trainings, under a minute
//
// The run folder gets sweep-fgsm_adversarial/ with summary.csv, differences.csv (fgsm minus plain)
// and report.html.

const epochs = rg.param('epochs', 10);
const eps = rg.param('eps', 0.1);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const data = rg.data.digits({ normalize: 'minmax', validation: 0.25 });

const result = rg.sweep((config, seed) => {
  const model = rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dense', { units: 10 })]);
  rg.trainer({
    loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 3e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    augmenters: config.training === 'fgsm'
      ? [rg.augmenter('fgsm', { eps: eps, ratio: 0.5, clipMin: 0, clipMax: 1 })] : [],
    schedulers: [rg.scheduler('robust_accuracy', { eps: eps, clipMin: 0, clipMax: 1 })],
  }).fit(model, data.train, data.validation);
}, { grid: { training: ['plain', 'fgsm'] }, seeds: seeds, name: 'fgsm_adversarial' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(4));
for (const s of result.summary.filter(s => ['val_accuracy', 'val_robust_accuracy'].includes(s.metric))) {
  rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
}
for (const d of result.differences.filter(d => ['val_accuracy', 'val_robust_accuracy'].includes(d.metric))) {
  rg.log(`${d.config} minus ${d.baseline}: ${d.metric} ${fmt(d.mean)} [${fmt(d.ci95_low)}, ${fmt(d.ci95_high)}]`);
}
