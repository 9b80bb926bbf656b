// Claim: (a question more than a claim) does dropout help or hurt the test error of a small
//   regression net, and how does that depend on the rate? Dropout was proposed and mostly shown for
//   classification; on regression its noise on the hidden units also biases the output's scale
//   between training and inference, and the common experience is that it helps less there.
// Paper: Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from Overfitting",
//   JMLR 15 (the method); the diabetes data from Efron, Hastie, Johnstone, Tibshirani 2004, "Least
//   Angle Regression", Annals of Statistics 32.
// Setting: the embedded diabetes set (442 patients, 10 features), features z-scored, target in its
//   raw units; validation 20%, test 20%; MLP 10-64-ReLU-dropout-64-ReLU-dropout-1, MSE loss, Adam lr
//   1e-2, batch 32, `epochs` (60) epochs, early stopping on val_loss (patience 10) restoring the best
//   epoch; rate 0, 0.1, 0.3, 0.5; 3 seeds. Metrics: test_mae and test_mse (lower is better), test_r2.
//
//   ./regimen run scripts/experiments/dropout_regression.js       # 12 trainings, several minutes on a loaded machine
//
// The run folder gets sweep-dropout_regression/ with summary.csv, differences.csv (against rate 0) and
// report.html.

const epochs = rg.param('epochs', 60);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const rates = rg.smoke() ? [0, 0.3] : [0, 0.1, 0.3, 0.5];
const data = rg.data.diabetes({ normalize: 'zscore', validation: 0.2, test: 0.2 });

const result = rg.sweep((config, seed) => {
  const model = rg.sequential([
    rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dropout', { rate: config.rate }),
    rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dropout', { rate: config.rate }),
    rg.layer('dense', { units: 1 }),
  ]);
  const trainer = rg.trainer({
    loss: 'mse', optimizer: rg.optimizer('adam', { lr: 1e-2 }),
    epochs: epochs, batchSize: 32, metrics: ['mae', 'mse', 'r2'],
    schedulers: [rg.scheduler('early_stopping', { monitor: 'val_loss', patience: 10 })],
  });
  trainer.fit(model, data.train, data.validation);
  trainer.evaluate(model, data.test);
}, { grid: { rate: rates }, seeds: seeds, name: 'dropout_regression' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(3));
for (const s of result.summary.filter(s => ['test_mae', 'test_mse', 'test_r2'].includes(s.metric))) {
  rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
}
for (const d of result.differences.filter(d => d.metric === 'test_mse')) {
  rg.log(`${d.config} minus ${d.baseline}: test_mse ${fmt(d.mean)} [${fmt(d.ci95_low)}, ${fmt(d.ci95_high)}]`);
}
