// rg.sweep: a sweep inside one script. Inverted dropout at three rates on a small MLP for the embedded
// digits, three seeds each, compared by test accuracy with 95% intervals and paired differences
// against no dropout (the first rate, the default baseline).
//
//   ./regimen run scripts/sweep_dropout.js                  # 9 trainings of 5 epochs, under a minute
//   ./regimen run scripts/sweep_dropout.js --set epochs=20
//
// The data is split once, with the run's seed; within each call the sweep's seed is the default of the
// trainer (initial weights, batch order, dropout masks), and the trainer is named after the run
// (rate-0.2-seed3). The run folder gets sweep-dropout/ with summary.csv, differences.csv, runs.csv and
// report.html. The same experiment from the command line, one process per run:
//   ./regimen sweep scripts/quickstart.js --grid epochs=5,10 --seeds 1..3

const epochs = rg.param('epochs', 5);
const data = rg.data.digits({ normalize: 'zscore', validation: 0.2, test: 0.2 });

const result = rg.sweep((config, seed) => {
  const model = rg.sequential([
    rg.layer('dense', { units: 128 }),
    rg.layer('relu'),
    rg.layer('dropout', { rate: config.rate }),
    rg.layer('dense', { units: 10 }),
  ]);
  const trainer = rg.trainer({ optimizer: rg.optimizer('adam', { lr: 1e-3 }), epochs: epochs, batchSize: 32 });
  trainer.fit(model, data.train, data.validation);
  // Its metrics become test_loss and test_accuracy; a function may also return numbers of its own.
  trainer.evaluate(model, data.test);
}, { grid: { rate: [0, 0.2, 0.5] }, seeds: [1, 2, 3], name: 'dropout' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(4));
for (const s of result.summary.filter(s => s.metric === 'test_accuracy')) {
  rg.log(`${s.config}: test accuracy ${fmt(s.mean)}, 95% interval [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}], n=${s.n}`);
}
for (const d of result.differences.filter(d => d.metric === 'test_accuracy')) {
  rg.log(`${d.config} minus ${d.baseline}: ${fmt(d.mean)} [${fmt(d.ci95_low)}, ${fmt(d.ci95_high)}] over ${d.n} seeds`);
}
