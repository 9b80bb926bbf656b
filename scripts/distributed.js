// Data-parallel training on Apache Spark: the quickstart's digits MLP, each batch of 64 split between two
// Spark workers that compute the gradients of their halves; the driver sums them and steps the optimizer,
// so the training is the one a single process would run on the whole batch (up to float32 rounding).
// Needs the Spark add-on (addons/spark/; `regimen version` says whether it is installed).
//
//   ./regimen run scripts/distributed.js                        # local[2]: two worker threads
//   ./regimen run scripts/distributed.js --set master=spark://host:7077 --set workers=8
//   ./regimen run scripts/distributed.js --set sync=average     # average the parameters every 4 local steps
//
// How to run it on a standalone cluster: framework-spark/README.md.

const epochs = rg.param('epochs', 30);
const master = rg.param('master', 'local[2]');
const workers = rg.param('workers', 2);
const sync = rg.param('sync', 'gradients');

const data = rg.data.digits({ normalize: 'zscore', validation: 0.2, test: 0.2 });

const model = rg.sequential([
  rg.layer('dense', { units: 128 }),
  rg.layer('relu'),
  rg.layer('dense', { units: 10 }),
]);

const trainer = rg.trainer({
  loss: 'softmax_cross_entropy',
  optimizer: rg.optimizer('adam', { lr: 2e-3 }),
  epochs: epochs,
  batchSize: 64,
  metrics: ['accuracy'],
  distributed: { engine: 'spark', master: master, workers: workers, sync: sync, every: sync === 'average' ? 4 : 1 },
  // The driver owns early stopping and the checkpoints, as in one process.
  schedulers: [rg.scheduler('early_stopping', { monitor: 'val_accuracy', patience: 6 })],
  checkpoint: true,
});

const history = trainer.fit(model, data.train, data.validation);
const best = Math.max(...history.val_accuracy);
rg.log(`best validation accuracy ${best.toFixed(4)} in ${history.val_accuracy.length} epochs`);

const test = trainer.evaluate(model, data.test);
rg.log(`test accuracy ${test.accuracy.toFixed(4)}, test loss ${test.loss.toFixed(4)}`);

// A full run must reach what one process reaches; a smoke run (--set smoke=true) only checks that it runs.
if (!rg.param('smoke', false) && best < 0.95) {
  throw new Error(`distributed training reached ${best.toFixed(4)} validation accuracy, below 0.95`);
}
