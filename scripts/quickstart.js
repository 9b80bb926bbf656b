// Quickstart: a small MLP on the embedded handwritten digits (1797 images of 8x8 pixels, 10 classes).
//
//   ./regimen run scripts/quickstart.js                  # about 20 epochs, a few seconds of training
//   ./regimen run scripts/quickstart.js --set epochs=5
//
// The run folder (printed at the end) holds the metrics, the curves, the checkpoints and report.html.

const epochs = rg.param('epochs', 20);

// Split off 20% for validation and 20% for a final test; z-score with training statistics only.
const data = rg.data.digits({ normalize: 'zscore', validation: 0.2, test: 0.2 });

const model = rg.sequential([
  rg.layer('dense', { units: 128 }),
  rg.layer('relu'),
  rg.layer('dense', { units: 10 }),
]);

const trainer = rg.trainer({
  loss: 'softmax_cross_entropy',
  optimizer: rg.optimizer('adam', { lr: 1e-3 }),
  epochs: epochs,
  batchSize: 32,
  metrics: ['accuracy'],
  // Stop when validation accuracy stalls and keep the best epoch's weights.
  schedulers: [rg.scheduler('early_stopping', { monitor: 'val_accuracy', patience: 5 })],
  checkpoint: true,
  onEpochEnd: e => rg.log(`epoch ${e.epoch}: loss ${e.metrics.loss.toFixed(4)}, ` +
      `val_accuracy ${e.metrics.val_accuracy.toFixed(4)}`),
});

trainer.fit(model, data.train, data.validation);

// The test split was never seen during training.
const test = trainer.evaluate(model, data.test);
rg.log(`test accuracy ${test.accuracy.toFixed(4)}, test loss ${test.loss.toFixed(4)}`);
