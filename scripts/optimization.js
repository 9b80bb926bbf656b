// Optimization tricks on one digits MLP, each variant trained with the same seed:
//   - the learning-rate range test (Smith 2017) first suggests a rate for SGD with momentum and writes
//     its curve (lr_finder.csv and plots/lr_finder_curve.png in the run folder);
//   - gradient clipping by global norm (Pascanu et al. 2013) and adaptive clipping (AGC, Brock et al.
//     2021), with the NaN guard skipping a batch whose loss or gradient is not finite;
//   - the Lion (Chen et al. 2023) and LAMB (You et al. 2020) optimizers;
//   - the one-cycle policy (Smith and Topin 2019) and cosine annealing with warm restarts (SGDR,
//     Loshchilov and Hutter 2017);
//   - an exponential moving average of the weights (Polyak and Juditsky 1992), validated and kept;
//   - parameter groups (half the rate for the first layer) with layer-wise learning-rate decay;
//   - gradient accumulation: 4 micro-batches of 8 per update train as batches of 32;
//   - Lookahead (Zhang et al. 2019) around Adam, sharpness-aware minimization (SAM, Foret et al. 2021)
//     around SGD;
//   - stochastic weight averaging (Izmailov et al. 2018) of a batch-norm MLP, whose statistics it
//     recomputes, with the two best epochs and a checkpoint every 50 steps kept;
//   - schedule anything: a dropout rate that grows over the epochs, recorded in metrics-scheduled.csv.
//
//   ./regimen run scripts/optimization.js --set epochs=15

const epochs = rg.param('epochs', 8);
const data = rg.data.digits({ normalize: 'zscore', validation: 0.25 });

const mlp = () => rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dense', { units: 10 })]);
const bnMlp = () => rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('batchnorm'), rg.layer('relu'),
  rg.layer('dense', { units: 10 })]);
const dropout = rg.layer('dropout', { rate: 0.1 });
const dropoutMlp = () => rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('relu'), dropout,
  rg.layer('dense', { units: 10 })]);
const adam = () => rg.optimizer('adam', { lr: 2e-3 });
const sgd = lr => rg.optimizer('sgd', { lr: lr, momentum: 0.9 });

const found = rg.trainer({
  name: 'lr_finder', loss: 'softmax_cross_entropy', optimizer: sgd(0.1), epochs: 3, batchSize: 32,
  schedulers: [rg.scheduler('lr_finder', { minLr: 1e-4, maxLr: 10, steps: 100 })],
}).fit(mlp(), data.train);
const suggestions = found['lr_finder/suggested_lr'].filter(v => typeof v === 'number' && !Number.isNaN(v));
const suggested = suggestions[suggestions.length - 1];
rg.log(`lr_finder suggests lr ${suggested.toPrecision(3)} for sgd with momentum 0.9`);

const variants = [
  { name: 'plain', optimizer: adam() },
  { name: 'clip_norm', optimizer: adam(), trainer: {
    regularizers: [rg.regularizer('grad_clip', { mode: 'norm', threshold: 1.0 })], onNonFinite: 'skip' } },
  { name: 'clip_agc', optimizer: adam(), trainer: {
    regularizers: [rg.regularizer('grad_clip', { mode: 'agc', threshold: 0.05 })] } },
  { name: 'lion', optimizer: rg.optimizer('lion', { lr: 3e-4, weightDecay: 0.1 }) },
  { name: 'lamb', optimizer: rg.optimizer('lamb', { lr: 1e-2 }) },
  { name: 'onecycle', optimizer: sgd(Math.min(0.5, 3 * suggested)), trainer: {
    schedulers: [rg.scheduler('lr.onecycle', { pctStart: 0.25 })] } },
  { name: 'sgdr', optimizer: sgd(0.1), trainer: {
    schedulers: [rg.scheduler('lr.cosine_restarts', { period: 2, periodMult: 2 })] } },
  { name: 'ema', optimizer: adam(), trainer: { schedulers: [rg.scheduler('ema', { decay: 0.99, warmup: true })] } },
  { name: 'groups', optimizer: rg.optimizer('adamw', { lr: 3e-3, weightDecay: 0.05 }), trainer: {
    paramGroups: [{ params: 'dense_1.*', lrScale: 0.5 }], layerDecay: 0.7 } },
  { name: 'accumulate', optimizer: adam(), trainer: { batchSize: 8, accumulate: 4 } },
  { name: 'lookahead', optimizer: rg.optimizer('lookahead', { optimizer: adam(), k: 5, alpha: 0.5 }) },
  { name: 'sam', optimizer: rg.optimizer('sam', { optimizer: sgd(0.05), rho: 0.05 }) },
  { name: 'swa', model: bnMlp, optimizer: sgd(0.05), trainer: {
    schedulers: [rg.scheduler('swa', { lr: 0.02 })],
    checkpoint: true, checkpointPolicy: { keepBest: 2, everySteps: 50, keepPeriodic: 2 } } },
  { name: 'scheduled', model: dropoutMlp, optimizer: adam(), trainer: {
    schedulers: [rg.scheduler('schedule', { target: dropout, option: 'rate', start: 0.1, end: 0.4 })] } },
];

for (const v of variants) {
  const options = Object.assign({
    name: v.name, loss: 'softmax_cross_entropy', optimizer: v.optimizer, epochs: epochs, batchSize: 32,
    metrics: ['accuracy'],
  }, v.trainer || {});
  const history = rg.trainer(options).fit((v.model || mlp)(), data.train, data.validation);
  const last = history.val_accuracy.length - 1;
  rg.log(`${v.name}: val_accuracy ${history.val_accuracy[last].toFixed(4)}`);
}
