// Curriculum learning (Bengio et al. 2009): score every training sample's difficulty (here the loss
// of the model at the start), then let each epoch see only the easiest fraction, growing linearly
// from 30% to all of the data over the first epochs.
//
//   ./regimen run scripts/curriculum.js --set epochs=15

const epochs = rg.param('epochs', 10);
const data = rg.data.digits({ normalize: 'zscore', validation: 0.25 });
const model = rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dense', { units: 10 })]);

const history = rg.trainer({
  loss: 'softmax_cross_entropy',
  optimizer: rg.optimizer('adam', { lr: 1e-3 }),
  epochs: epochs, batchSize: 32, metrics: ['accuracy'],
  schedulers: [rg.scheduler('curriculum', { pacing: 'linear', start: 0.3, epochs: Math.max(1, epochs - 2) })],
  onEpochEnd: e => rg.log(`epoch ${e.epoch}: trained on ${(100 * e.metrics.curriculum_fraction).toFixed(0)}% ` +
      `of the data, val_accuracy ${e.metrics.val_accuracy.toFixed(4)}`),
}).fit(model, data.train, data.validation);
