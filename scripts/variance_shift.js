// The variance shift between Dropout and BatchNorm (Li et al., CVPR 2019, "Understanding the
// Disharmony between Dropout and Batch Normalization by Variance Shift").
//
// With dropout BEFORE a batch norm, the batch norm's input has a larger variance in training
// (dropout active) than at evaluation (dropout off), so the running statistics it learned do not
// fit what it sees at test time. The variance_shift diagnostic measures, for every batch norm,
// var_train / var_eval of its input on a fixed batch; it warns about the layer order and names
// the remedies. Uout (dropout.uout) adds far less variance and shrinks the shift.
//
//   ./regimen run scripts/variance_shift.js --set epochs=10

const epochs = rg.param('epochs', 5);
const data = rg.data.digits({ normalize: 'zscore', validation: 0.25 });

function model(noise) {
  return rg.sequential([
    rg.layer('dense', { units: 128 }), rg.layer('relu'),
    noise,                                   // noise BEFORE the batch norm: the problematic order
    rg.layer('dense', { units: 64 }),
    rg.layer('batchnorm'),
    rg.layer('relu'),
    rg.layer('dense', { units: 10 }),
  ]);
}

for (const [label, noise] of [['dropout', rg.layer('dropout', { rate: 0.5 })],
                              ['uout', rg.layer('dropout.uout', { beta: 0.5 })]]) {
  const history = rg.trainer({
    name: label,
    loss: 'softmax_cross_entropy',
    optimizer: rg.optimizer('adam', { lr: 1e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    schedulers: [rg.scheduler('variance_shift', { samples: 256 })],
  }).fit(model(noise), data.train, data.validation);
  const shift = history['variance_shift/batchnorm_1'];
  rg.log(`${label}: var_train / var_eval at batchnorm_1 = ${shift[shift.length - 1].toFixed(3)}, ` +
      `val_accuracy ${history.val_accuracy[history.val_accuracy.length - 1].toFixed(4)}`);
}
