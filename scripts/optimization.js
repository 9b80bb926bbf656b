// Optimization tricks on one digits MLP, each a variant trained with the same seed: gradient
// clipping by global norm (Pascanu et al. 2013) and adaptive clipping (AGC, Brock et al. 2021);
// the Lion (Chen et al. 2023) and LAMB (You et al. 2020) optimizers; the one-cycle policy (Smith and
// Topin 2019) and cosine annealing with warm restarts (SGDR, Loshchilov and Hutter 2017); an
// exponential moving average of the weights (Polyak and Juditsky 1992), validated and kept; gradient
// accumulation (4 micro-batches of 8 per update train as batches of 32); Lookahead (Zhang et al.
// 2019) around Adam; sharpness-aware minimization (SAM, Foret et al. 2021) around SGD; stochastic
// weight averaging (Izmailov et al. 2018) of a batch-norm MLP, whose statistics it recomputes. First
// the learning-rate range test (Smith 2017) suggests a rate for SGD with momentum, and writes its curve
// (lr_finder.csv and plots/lr_finder_curve.png in the run folder). Parameter groups give the first
// layer a tenth of the rate and layer-wise decay lowers each layer's rate below the last.
//
//   ./regimen run scripts/optimization.js --set epochs=15

const epochs = rg.param('epochs', 8);
const data = rg.data.digits({ normalize: 'zscore', validation: 0.25 });

const mlp = () => rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dense', { units: 10 })]);
const bnMlp = () => rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('batchnorm'), rg.layer('relu'),
  rg.layer('dense', { units: 10 })]);

const found = rg.trainer({
  name: 'lr_finder', loss: 'softmax_cross_entropy', optimizer: rg.optimizer('sgd', { lr: 0.1, momentum: 0.9 }),
  epochs: 3, batchSize: 32, schedulers: [rg.scheduler('lr_finder', { minLr: 1e-4, maxLr: 10, steps: 100 })],
}).fit(mlp(), data.train);
const suggestions = found['lr_finder/suggested_lr'].filter(v => !Number.isNaN(v));
const suggested = suggestions[suggestions.length - 1];
rg.log(`lr_finder suggests lr ${suggested.toPrecision(3)} for sgd with momentum 0.9`);

const variants = [
  { name: 'plain', optimizer: rg.optimizer('adam', { lr: 2e-3 }) },
  { name: 'clip_norm', optimizer: rg.optimizer('adam', { lr: 2e-3 }),
    regularizers: [rg.regularizer('grad_clip', { mode: 'norm', threshold: 1.0 })],
    // The NaN guard passes over a batch whose loss or gradient is not finite (counted in skipped_batches)
    // instead of stopping the run, the default.
    onNonFinite: 'skip' },
  { name: 'clip_agc', optimizer: rg.optimizer('adam', { lr: 2e-3 }),
    regularizers: [rg.regularizer('grad_clip', { mode: 'agc', threshold: 0.05 })] },
  { name: 'lion', optimizer: rg.optimizer('lion', { lr: 3e-4, weightDecay: 0.1 }) },
  { name: 'lamb', optimizer: rg.optimizer('lamb', { lr: 1e-2 }) },
  { name: 'onecycle', optimizer: rg.optimizer('sgd', { lr: Math.min(0.5, 3 * suggested), momentum: 0.9 }),
    schedulers: [rg.scheduler('lr.onecycle', { pctStart: 0.25 })] },
  { name: 'sgdr', optimizer: rg.optimizer('sgd', { lr: 0.1, momentum: 0.9 }),
    schedulers: [rg.scheduler('lr.cosine_restarts', { period: 2, periodMult: 2 })] },
  { name: 'ema', optimizer: rg.optimizer('adam', { lr: 2e-3 }),
    schedulers: [rg.scheduler('ema', { decay: 0.99, warmup: true })] },
  { name: 'groups', optimizer: rg.optimizer('adamw', { lr: 3e-3, weightDecay: 0.05 }), layerDecay: 0.7,
    paramGroups: [{ params: 'dense_1.*', lrScale: 0.5 }] },
  { name: 'accumulate', optimizer: rg.optimizer('adam', { lr: 2e-3 }), batchSize: 8, accumulate: 4 },
  { name: 'lookahead',
    optimizer: rg.optimizer('lookahead', { optimizer: rg.optimizer('adam', { lr: 2e-3 }), k: 5, alpha: 0.5 }) },
  { name: 'sam',
    optimizer: rg.optimizer('sam', { optimizer: rg.optimizer('sgd', { lr: 0.05, momentum: 0.9 }), rho: 0.05 }) },
  { name: 'swa', model: bnMlp, optimizer: rg.optimizer('sgd', { lr: 0.05, momentum: 0.9 }),
    schedulers: [rg.scheduler('swa', { lr: 0.02 })] },
];

for (const v of variants) {
  const history = rg.trainer({
    name: v.name, loss: 'softmax_cross_entropy', optimizer: v.optimizer,
    epochs: epochs, batchSize: v.batchSize || 32, accumulate: v.accumulate || 1, metrics: ['accuracy'],
    onNonFinite: v.onNonFinite || 'stop', paramGroups: v.paramGroups || [], layerDecay: v.layerDecay || 1,
    regularizers: v.regularizers || [], schedulers: v.schedulers || [],
  }).fit((v.model || mlp)(), data.train, data.validation);
  const last = history.val_accuracy.length - 1;
  rg.log(`${v.name}: val_accuracy ${history.val_accuracy[last].toFixed(4)}`);
}
