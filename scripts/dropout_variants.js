// Dropout variants side by side on the digits, then Monte Carlo dropout at inference.
//
// rate is always the probability of DROPPING a unit (DL4J's "retain probability" is the opposite).
//   dropout           inverted dropout: y = x * m / (1 - rate) in training, identity at evaluation
//   dropout.scaled    classic dropout: y = x * m in training, y = x * (1 - rate) at evaluation
//   dropout.gaussian  multiplicative noise e ~ N(1, rate / (1 - rate))
//   dropout.uout      Uout (Li et al. 2019): y = x + x * r, r ~ U(-beta, beta)
//   dropout.alpha     alpha dropout (Klambauer et al. 2017) after selu: keeps mean 0 and variance 1
//   drop_path         stochastic depth (Huang et al. 2016): a residual branch dropped per sample
//
//   ./regimen run scripts/dropout_variants.js --set epochs=30

const epochs = rg.param('epochs', 15);
const data = rg.data.digits({ normalize: 'zscore', validation: 0.25 });

const variants = [
  ['dropout', { rate: 0.3 }],
  ['dropout.scaled', { rate: 0.3 }],
  ['dropout.gaussian', { rate: 0.3 }],
  ['dropout.uout', { beta: 0.3 }],
  ['dropout.alpha', { rate: 0.1 }, 'selu'],
];

let lastModel = null;
for (const [name, options, activation] of variants) {
  const model = rg.sequential([
    rg.layer('dense', { units: 128 }), rg.layer(activation || 'relu'),
    rg.layer(name, options),
    rg.layer('dense', { units: 10 }),
  ]);
  const history = rg.trainer({
    name: name,
    loss: 'softmax_cross_entropy',
    optimizer: rg.optimizer('adam', { lr: 1e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
  }).fit(model, data.train, data.validation);
  const acc = history.val_accuracy;
  rg.log(`${name}: final val_accuracy ${acc[acc.length - 1].toFixed(4)}`);
  lastModel = model;
}

// Drop path, last in each residual block: the branch is dropped for a rate share of the samples, the
// rate growing linearly with depth (the paper's rule rate_l = (l / L) rate_L).
const blocks = 3;
const residual = [rg.layer('dense', { units: 64 }), rg.layer('relu')];
for (let l = 1; l <= blocks; l++) {
  residual.push(rg.residual([
    rg.layer('dense', { units: 64 }), rg.layer('relu'),
    rg.layer('drop_path', { rate: 0.2 * l / blocks }),
  ]));
}
residual.push(rg.layer('dense', { units: 10 }));
const deep = rg.trainer({
  name: 'drop_path',
  loss: 'softmax_cross_entropy',
  optimizer: rg.optimizer('adam', { lr: 1e-3 }),
  epochs: epochs, batchSize: 32, metrics: ['accuracy'],
}).fit(rg.sequential(residual), data.train, data.validation);
rg.log(`drop_path: final val_accuracy ${deep.val_accuracy[deep.val_accuracy.length - 1].toFixed(4)}`);

// Monte Carlo dropout (Gal & Ghahramani 2016): keep the noise on at inference, average T passes,
// and read the spread as the model's uncertainty.
const mc = rg.predict(lastModel, data.validation, { mcSamples: 20 });
rg.log(`Monte Carlo prediction: ${mc.mean.length} samples, first row variance ` +
    `${mc.variance[0].map(v => v.toFixed(4)).join(' ')}`);
