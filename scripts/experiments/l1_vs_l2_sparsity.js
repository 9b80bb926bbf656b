// Claim: an L1 penalty drives the weights of irrelevant inputs to (nearly exactly) zero, while an L2
//   penalty of the same strength only shrinks them towards zero and leaves them small but non-zero.
// Paper: Tibshirani 1996, "Regression Shrinkage and Selection via the Lasso", JRSS B 58 (L1); Hoerl &
//   Kennard 1970, "Ridge Regression", Technometrics 12 (L2); Goodfellow, Bengio, Courville 2016,
//   "Deep Learning", section 7.1.
// Setting: rg.data.synthetic('linear'): 500 samples, y = x w + N(0, 0.5^2) with w = [2, -3, 1.5, 0, 0,
//   0, 0, 0, 0, 0] (3 relevant inputs, 7 irrelevant), validation 20%, test 20%; a linear model (one
//   dense unit), MSE, plain SGD lr 0.05, batch 32, `epochs` (40) epochs; penalty none, l1 or l2 with
//   lambda `lambda` (0.05); 3 seeds. weight_stats (weights only, threshold 0.01) gives the final
//   fraction of weights with |w| < 0.01 (weight_near_zero/all: 0.7 means exactly the 7 irrelevant
//   ones) and the L1 norm of the weights (weight_l1/all).
//
//   ./regimen run scripts/experiments/l1_vs_l2_sparsity.js        # 9 trainings, under a minute
//
// The run folder gets sweep-l1_vs_l2_sparsity/ with summary.csv, differences.csv (against no penalty)
// and report.html.

const epochs = rg.param('epochs', 40);
const lambda = rg.param('lambda', 0.05);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const trueWeights = [2, -3, 1.5, 0, 0, 0, 0, 0, 0, 0];

const result = rg.sweep((config, seed) => {
  const data = rg.data.synthetic('linear', { n: 500, weights: trueWeights, noise: 0.5, validation: 0.2, test: 0.2 });
  const trainer = rg.trainer({
    loss: 'mse', optimizer: rg.optimizer('sgd', { lr: 0.05 }),
    epochs: epochs, batchSize: 32, metrics: ['r2'],
    regularizers: config.penalty === 'none' ? [] : [rg.regularizer(config.penalty, { lambda: lambda })],
    schedulers: [rg.scheduler('weight_stats', { threshold: 0.01, weights_only: true })],
  });
  const model = rg.sequential([rg.layer('dense', { units: 1 })]);
  trainer.fit(model, data.train, data.validation);
  trainer.evaluate(model, data.test);
}, { grid: { penalty: ['none', 'l1', 'l2'] }, seeds: seeds, name: 'l1_vs_l2_sparsity' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(3));
for (const s of result.summary.filter(s => ['weight_near_zero/all', 'weight_l1/all', 'test_r2'].includes(s.metric))) {
  rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
}
