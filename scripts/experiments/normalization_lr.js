// Claim: normalizing the inputs (z-score or min-max against the raw 0..16 pixels) and batch norm in
//   the net both make plain SGD converge in fewer epochs and keep training at larger learning rates;
//   batch norm in particular tolerates learning rates at which the plain net diverges.
// Paper: LeCun, Bottou, Orr, Mueller 1998, "Efficient BackProp", in Neural Networks: Tricks of the
//   Trade, LNCS 1524 (section 4.3, normalizing the inputs); Ioffe & Szegedy 2015, "Batch
//   Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift", ICML
//   (section 3.3: higher learning rates).
// Setting: the embedded digits, validation 20%; input = none (raw pixels 0..16), zscore or minmax; MLP
//   64-128-[BN]-ReLU-64-[BN]-ReLU-10 with bn = none or batchnorm; plain SGD, batch 64; 3 seeds. Per run:
//   (a) convergence: lr 0.1 for `epochs` (10) epochs, epochs_to_90 = the first epoch (from 1) with
//   val_accuracy >= 0.9 (epochs + 1 if never) and val_accuracy (the sweep's first training); (b)
//   stability: lr 0.1, 0.3, 1, 3, 10 for 3 epochs each, in that order until one fails (val_accuracy <
//   0.5 or a non-finite loss); max_lr = the largest that trained (0 if none), log10_max_lr likewise
//   (-2 if none).
//
//   ./regimen run scripts/experiments/normalization_lr.js          # 6 configurations x 3 seeds, a few minutes
//
// The run folder gets sweep-normalization_lr/ with summary.csv, differences.csv (against raw inputs
// without batch norm) and report.html.

const epochs = rg.param('epochs', 10);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const probes = rg.smoke() ? [0.1, 10] : [0.1, 0.3, 1, 3, 10];
const sets = {
  none: rg.data.digits({ validation: 0.2 }),
  zscore: rg.data.digits({ normalize: 'zscore', validation: 0.2 }),
  minmax: rg.data.digits({ normalize: 'minmax', validation: 0.2 }),
};

function net(bn) {
  const layers = [rg.layer('dense', { units: 128 })];
  if (bn) layers.push(rg.layer('batchnorm'));
  layers.push(rg.layer('relu'), rg.layer('dense', { units: 64 }));
  if (bn) layers.push(rg.layer('batchnorm'));
  layers.push(rg.layer('relu'), rg.layer('dense', { units: 10 }));
  return rg.sequential(layers);
}

function train(data, bn, lr, n) {
  return rg.trainer({
    loss: 'softmax_cross_entropy', optimizer: rg.optimizer('sgd', { lr: lr }),
    epochs: n, batchSize: 64, metrics: ['accuracy'],
  }).fit(net(bn), data.train, data.validation);
}

const result = rg.sweep((config, seed) => {
  const data = sets[config.input];
  const bn = config.bn === 'batchnorm';
  const curve = train(data, bn, 0.1, epochs).val_accuracy;
  let reached = epochs + 1;
  for (let i = curve.length - 1; i >= 0; i--) {
    if (curve[i] >= 0.9) reached = i + 1;
  }
  let maxLr = 0;
  for (const lr of probes) {
    let trained;
    try {
      const h = train(data, bn, lr, 3);
      trained = h.val_accuracy[h.val_accuracy.length - 1] >= 0.5;
    } catch (e) {
      trained = false;                       // a non-finite loss stops the trainer with an error
    }
    if (!trained) break;
    maxLr = lr;
  }
  return { epochs_to_90: reached, max_lr: maxLr, log10_max_lr: maxLr > 0 ? Math.log10(maxLr) : -2 };
}, { grid: { input: ['none', 'zscore', 'minmax'], bn: ['none', 'batchnorm'] }, seeds: seeds, name: 'normalization_lr' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(3));
for (const s of result.summary.filter(s => ['epochs_to_90', 'log10_max_lr', 'val_accuracy'].includes(s.metric))) {
  rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
}
