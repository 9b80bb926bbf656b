// Claim: dropout lowers the test error of an MLP trained on little data, and at test time the
//   weight-scaling rule (one deterministic pass with the weights scaled, here inverted dropout's
//   identity) approximates the Monte Carlo average over dropout masks, which approaches it as the
//   number of sampled masks grows.
// Paper: Srivastava, Hinton, Krizhevsky, Sutskever, Salakhutdinov 2014, "Dropout: A Simple Way to
//   Prevent Neural Networks from Overfitting", JMLR 15 (section 7.5 and figure 11 for the MC average).
// Setting: the embedded digits (8x8, 10 classes), z-scored; only `train_samples` (300) training samples,
//   a validation split of 20% and a test split of 30%; MLP 64-256-256-10 with ReLU, dropout at `rate`
//   after each hidden layer (0 against 0.5); Adam lr 1e-3, batch 32, `epochs` (40) epochs; 3 seeds.
//   For every dropout model, test accuracy of the Monte Carlo average over 2, 4, 16 and 64 masks
//   (mc<T>_accuracy) next to the weight-scaled pass (test_accuracy).
//
//   ./regimen run scripts/experiments/dropout_small_data.js            # 6 trainings, about a minute
//   ./regimen run scripts/experiments/dropout_small_data.js --set epochs=100
//
// The run folder gets sweep-dropout_small_data/ with summary.csv (mean and 95% Student t interval over
// seeds), differences.csv (rate=0.5 minus rate=0, seed by seed) and report.html with the figures.

const epochs = rg.param('epochs', 40);
const trainSamples = rg.param('train_samples', 300);
const rates = [0, 0.5];
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const mcCounts = rg.smoke() ? [2] : [2, 4, 16, 64];

const data = rg.data.digits({ normalize: 'zscore', validation: 0.2, test: 0.3 });
const train = data.train.head(trainSamples);
const labels = data.test.labels();

function accuracy(classes) {
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    if (classes[i] === labels[i]) {
      right++;
    }
  }
  return right / labels.length;
}

const result = rg.sweep((config, seed) => {
  const model = rg.sequential([
    rg.layer('dense', { units: 256 }), rg.layer('relu'), rg.layer('dropout', { rate: config.rate }),
    rg.layer('dense', { units: 256 }), rg.layer('relu'), rg.layer('dropout', { rate: config.rate }),
    rg.layer('dense', { units: 10 }),
  ]);
  const trainer = rg.trainer({
    loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 1e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
  });
  trainer.fit(model, train, data.validation);
  trainer.evaluate(model, data.test);        // the weight-scaled pass: test_accuracy
  const mc = {};
  if (config.rate > 0) {
    for (const t of mcCounts) {
      mc[`mc${t}_accuracy`] = accuracy(rg.predict(model, data.test, { mcSamples: t, seed: seed }).classes);
    }
  }
  return mc;
}, { grid: { rate: rates }, seeds: seeds, name: 'dropout_small_data' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(4));
for (const s of result.summary) {
  if (s.metric === 'test_accuracy' || s.metric.startsWith('mc')) {
    rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
  }
}
for (const d of result.differences.filter(d => d.metric === 'test_accuracy')) {
  rg.log(`${d.config} minus ${d.baseline}: test accuracy ${fmt(d.mean)} [${fmt(d.ci95_low)}, ${fmt(d.ci95_high)}]`);
}
