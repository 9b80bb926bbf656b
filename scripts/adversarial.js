// Adversarial training with FGSM (Goodfellow et al. 2015): half of each batch is replaced by
// x + eps * sign(grad_x loss), clipped to the pixel range; and with PGD (Madry et al. 2018): every
// sample replaced by the result of projected gradient steps inside the eps-ball. robust_accuracy
// measures accuracy on FGSM and on PGD examples of the validation set after every epoch (recorded as
// val_robust_accuracy and val_pgd_accuracy); at the same eps PGD leaves at most as many right.
//
//   ./regimen run scripts/adversarial.js --set epochs=15

const epochs = rg.param('epochs', 10);
const eps = rg.param('eps', 0.1);
// Pixels scaled to [0, 1], so eps is in pixel units as in the paper.
const data = rg.data.digits({ normalize: 'minmax', validation: 0.25 });

const trainings = {
  plain: [],
  fgsm: [rg.augmenter('fgsm', { eps: eps, ratio: 0.5, clipMin: 0, clipMax: 1 })],
  pgd: [rg.augmenter('pgd', { eps: eps, steps: 5, clipMin: 0, clipMax: 1 })],
};

for (const [name, augmenters] of Object.entries(trainings)) {
  const model = rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dense', { units: 10 })]);
  const history = rg.trainer({
    name: name,
    loss: 'softmax_cross_entropy',
    optimizer: rg.optimizer('adam', { lr: 3e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    augmenters: augmenters,
    schedulers: [
      rg.scheduler('robust_accuracy', { eps: eps, clipMin: 0, clipMax: 1 }),
      rg.scheduler('robust_accuracy', { eps: eps, attack: 'pgd', clipMin: 0, clipMax: 1, metric: 'pgd_accuracy' }),
    ],
  }).fit(model, data.train, data.validation);
  const last = history.val_robust_accuracy.length - 1;
  rg.log(`${name} training: val_accuracy ${history.val_accuracy[last].toFixed(4)}, under FGSM ` +
      `${history.val_robust_accuracy[last].toFixed(4)}, under PGD ${history.val_pgd_accuracy[last].toFixed(4)}`);
}
