// Claim: on a small image training set, data augmentation (random pad-and-crop, small affine moves,
//   horizontal flips) raises test accuracy over no augmentation; curriculum learning (easiest samples
//   first, the share of the data growing linearly) trains at least as well as random order.
// Paper: Simard, Steinkraus, Platt 2003, "Best Practices for Convolutional Neural Networks Applied to
//   Visual Document Analysis", ICDAR (affine and elastic distortions); Krizhevsky, Sutskever, Hinton
//   2012, "ImageNet Classification with Deep CNNs", NIPS (crops and flips); Bengio, Louradour,
//   Collobert, Weston 2009, "Curriculum Learning", ICML; Hacohen & Weinshall 2019, "On the Power of
//   Curriculum Learning in Training Deep Networks", ICML (pacing functions).
// Setting: the embedded digits as [1, 8, 8] images, min-max scaled, validation 20%, test 30%, only
//   `train_samples` (300) training samples; CNN conv3x3(16)-ReLU-maxpool2-dense10, Adam lr 2e-3,
//   batch 32, `epochs` (25) epochs; setup = none, crop_affine (pad 1 and crop, rotations up to 10
//   degrees, shifts up to 5%), flip (horizontal flips only: digits are not mirror symmetric, so this
//   is expected to hurt), curriculum (no augmentation, curriculum scheduler with linear pacing from
//   30% of the data over the first epochs - 2 epochs); 3 seeds. Metric: test_accuracy.
//
//   ./regimen run scripts/experiments/augmentation_curriculum.js   # 12 trainings, a few minutes
//
// The run folder gets sweep-augmentation_curriculum/ with summary.csv, differences.csv (against none)
// and report.html.

const epochs = rg.param('epochs', 25);
const trainSamples = rg.param('train_samples', 300);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const data = rg.data.digits({ normalize: 'minmax', validation: 0.2, test: 0.3, images: true });
const train = data.train.head(trainSamples);

const setups = {
  none: { augmenters: [], schedulers: [] },
  crop_affine: {
    augmenters: [rg.augmenter('random_crop', { mode: 'pad', padding: 1 }),
      rg.augmenter('affine', { degrees: 10, translate: 0.05 })],
    schedulers: [],
  },
  flip: { augmenters: [rg.augmenter('flip', { p: 0.5 })], schedulers: [] },
  curriculum: {
    augmenters: [],
    schedulers: [rg.scheduler('curriculum', { pacing: 'linear', start: 0.3, epochs: Math.max(1, epochs - 2) })],
  },
};

const result = rg.sweep((config, seed) => {
  const model = rg.sequential([
    rg.layer('conv2d', { filters: 16, kernelSize: 3, padding: 1 }), rg.layer('relu'),
    rg.layer('maxpool2d', { poolSize: 2 }), rg.layer('flatten'), rg.layer('dense', { units: 10 }),
  ]);
  const setup = setups[config.setup];
  const trainer = rg.trainer({
    loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 2e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    augmenters: setup.augmenters, schedulers: setup.schedulers,
  });
  trainer.fit(model, train, data.validation);
  trainer.evaluate(model, data.test);
}, { grid: { setup: Object.keys(setups) }, seeds: seeds, name: 'augmentation_curriculum' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(4));
for (const s of result.summary.filter(s => s.metric === 'test_accuracy')) {
  rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
}
for (const d of result.differences.filter(d => d.metric === 'test_accuracy')) {
  rg.log(`${d.config} minus ${d.baseline}: ${fmt(d.mean)} [${fmt(d.ci95_low)}, ${fmt(d.ci95_high)}]`);
}
