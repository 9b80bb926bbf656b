// Adversarial training with FGSM (Goodfellow et al. 2015): half of each batch is replaced by
// x + eps * sign(grad_x loss), clipped to the pixel range. robust_accuracy measures accuracy on
// FGSM examples of the validation set after every epoch (recorded as val_robust_accuracy).
//
//   ./regimen run scripts/adversarial.js --set epochs=15

const epochs = rg.param('epochs', 10);
const eps = rg.param('eps', 0.1);
// Pixels scaled to [0, 1], so eps is in pixel units as in the paper.
const data = rg.data.digits({ normalize: 'minmax', validation: 0.25 });

for (const adversarial of [false, true]) {
  const model = rg.sequential([rg.layer('dense', { units: 64 }), rg.layer('relu'), rg.layer('dense', { units: 10 })]);
  const history = rg.trainer({
    name: adversarial ? 'fgsm' : 'plain',
    loss: 'softmax_cross_entropy',
    optimizer: rg.optimizer('adam', { lr: 3e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    augmenters: adversarial ? [rg.augmenter('fgsm', { eps: eps, ratio: 0.5, clipMin: 0, clipMax: 1 })] : [],
    schedulers: [rg.scheduler('robust_accuracy', { eps: eps, clipMin: 0, clipMax: 1 })],
  }).fit(model, data.train, data.validation);
  const last = history.val_robust_accuracy.length - 1;
  rg.log(`${adversarial ? 'FGSM training' : 'plain training'}: val_accuracy ` +
      `${history.val_accuracy[last].toFixed(4)}, under attack ${history.val_robust_accuracy[last].toFixed(4)}`);
}
