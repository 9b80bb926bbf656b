// Claim: early stopping on the validation loss stops near the validation minimum of an overfitting
//   net and restores that epoch's weights, so the model kept scores the minimum validation loss and a
//   test loss no worse than the overtrained one's.
// Paper: Prechelt 1998, "Early Stopping - But When?", in Neural Networks: Tricks of the Trade, LNCS
//   1524; Goodfellow, Bengio, Courville 2016, "Deep Learning", section 7.8.
// Setting: the embedded digits, z-scored, validation 20%, test 30%, only 200 training samples (to
//   overfit); MLP 64-512-512-10 with ReLU, Adam lr 3e-3, batch 32, at most `epochs` (60) epochs;
//   stopping = none (all epochs, last weights) or val_loss (early_stopping, patience 8, restore the
//   best); 3 seeds. Returned per run: best_epoch and min_val_loss (the minimum of the val_loss curve),
//   epochs_run, restore_gap = loss on the validation set of the model kept minus min_val_loss (0 when
//   the best weights came back), and test_loss / test_accuracy of the model kept.
//
//   ./regimen run scripts/experiments/early_stopping.js           # 6 trainings, about a minute
//
// The run folder gets sweep-early_stopping/ with summary.csv, differences.csv (val_loss stopping
// minus none) and report.html.

const epochs = rg.param('epochs', 60);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const data = rg.data.digits({ normalize: 'zscore', validation: 0.2, test: 0.3 });
const train = data.train.head(200);

const result = rg.sweep((config, seed) => {
  const model = rg.sequential([
    rg.layer('dense', { units: 512 }), rg.layer('relu'),
    rg.layer('dense', { units: 512 }), rg.layer('relu'),
    rg.layer('dense', { units: 10 }),
  ]);
  const trainer = rg.trainer({
    loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 3e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    schedulers: config.stopping === 'none' ? []
      : [rg.scheduler('early_stopping', { monitor: 'val_loss', patience: 8 })],
  });
  const history = trainer.fit(model, train, data.validation);
  const curve = history.val_loss;
  let best = 0;
  for (let i = 1; i < curve.length; i++) {
    if (curve[i] < curve[best]) {
      best = i;
    }
  }
  const kept = trainer.evaluate(model, data.validation);
  trainer.evaluate(model, data.test);
  return {
    best_epoch: best, min_val_loss: curve[best], epochs_run: curve.length,
    restore_gap: kept.loss - curve[best],
  };
}, { grid: { stopping: ['none', 'val_loss'] }, seeds: seeds, name: 'early_stopping' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(4));
for (const s of result.summary.filter(s =>
    ['best_epoch', 'epochs_run', 'min_val_loss', 'restore_gap', 'test_loss', 'test_accuracy'].includes(s.metric))) {
  rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
}
