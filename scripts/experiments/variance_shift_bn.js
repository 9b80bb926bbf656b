// Claim: dropout placed before a batch norm makes the batch norm's input variance larger in training
//   (masks on) than at inference (masks off), so its running statistics do not fit at test time
//   (ratio var_train / var_eval > 1); Gaussian dropout and Uout, with less added variance, shift it
//   less, and dropout placed after the last batch norm leaves that batch norm unshifted (ratio 1).
// Paper: Li, Chen, Hu, Yang 2019, "Understanding the Disharmony between Dropout and Batch
//   Normalization by Variance Shift", CVPR (sections 3 and 5: the ratio, Uout, dropout after all BN).
// Setting: the embedded digits, z-scored, validation 20%, test 20%; MLP 64-128-ReLU-[noise]-64-BN-ReLU-
//   [noise]-10 with the noise either before the batch norm (before_bn) or after it (after_bn);
//   noise = inverted dropout (rate 0.5), Gaussian dropout (rate 0.5: multiplicative N(1, 1)) or Uout
//   (beta 0.5: x + x r, r ~ U(-0.5, 0.5)); Adam lr 1e-3, batch 32, `epochs` (5) epochs; 3 seeds.
//   The variance_shift diagnostic measures the ratio at batchnorm_1 on 256 fixed samples after each
//   epoch; the final epoch's value is the metric variance_shift/batchnorm_1.
//
//   ./regimen run scripts/experiments/variance_shift_bn.js       # 18 trainings, a minute or two
//
// The run folder gets sweep-variance_shift_bn/ with summary.csv, differences.csv (against dropout
// before the batch norm) and report.html.

const epochs = rg.param('epochs', 5);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const data = rg.data.digits({ normalize: 'zscore', validation: 0.2, test: 0.2 });

function noise(name) {
  return name === 'dropout.uout' ? rg.layer(name, { beta: 0.5 }) : rg.layer(name, { rate: 0.5 });
}

const result = rg.sweep((config, seed) => {
  const before = config.position === 'before_bn';
  const layers = [rg.layer('dense', { units: 128 }), rg.layer('relu')];
  if (before) {
    layers.push(noise(config.noise));
  }
  layers.push(rg.layer('dense', { units: 64 }), rg.layer('batchnorm'), rg.layer('relu'));
  if (!before) {
    layers.push(noise(config.noise));
  }
  layers.push(rg.layer('dense', { units: 10 }));
  const trainer = rg.trainer({
    loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 1e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    schedulers: [rg.scheduler('variance_shift', { samples: 256 })],
  });
  const model = rg.sequential(layers);
  trainer.fit(model, data.train, data.validation);
  trainer.evaluate(model, data.test);
}, {
  grid: { noise: ['dropout', 'dropout.gaussian', 'dropout.uout'], position: ['before_bn', 'after_bn'] },
  seeds: seeds, name: 'variance_shift_bn',
});

const fmt = x => (x === null ? 'n/a' : x.toFixed(4));
for (const s of result.summary) {
  if (s.metric === 'variance_shift/batchnorm_1' || s.metric === 'test_accuracy') {
    rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
  }
}
