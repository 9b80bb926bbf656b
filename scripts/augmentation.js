// Data augmentation on the digits as 1x8x8 images: pad-and-crop, small rotations and shifts, input
// noise and label smoothing; then regional ones: random erasing (Zhong et al. 2020), and mixup and
// CutMix (Yun et al. 2019) switching per batch as in timm's recipes, turned off for the last epoch;
// RandAugment (Cubuk et al. 2020); and AugMix (Hendrycks et al. 2020) with its Jensen-Shannon
// consistency loss (objective augmix.jsd). All apply to training batches only (evaluation sees clean
// data).
// Horizontal flips are left out on purpose: a mirrored digit is often another digit (or none).
//
//   ./regimen run scripts/augmentation.js --set epochs=20

const epochs = rg.param('epochs', 10);
const data = rg.data.digits({ normalize: 'minmax', validation: 0.25, images: true });

function model() {
  return rg.sequential([
    rg.layer('conv2d', { filters: 16, kernelSize: 3, padding: 1 }), rg.layer('relu'),
    rg.layer('maxpool2d', { poolSize: 2 }),
    rg.layer('flatten'),
    rg.layer('dense', { units: 10 }),
  ]);
}

const setups = {
  none: [],
  augmented: [
    rg.augmenter('random_crop', { mode: 'pad', padding: 1 }),
    rg.augmenter('affine', { degrees: 10, translate: 0.05 }),
    rg.augmenter('gaussian_noise', { sigma: 0.05 }),
    rg.augmenter('label_smoothing', { epsilon: 0.1 }),
  ],
  regional: [
    rg.augmenter('random_erasing', { p: 0.5, scale: [0.02, 0.2] }),
    rg.augmenter('mixup', { alpha: 0.8, switchProb: 0.5, cutmixAlpha: 1.0, offLastEpochs: 1 }),
  ],
  cutmix: [
    rg.augmenter('cutmix', { alpha: 1.0 }),
  ],
  randaugment: [
    rg.augmenter('randaugment', { numOps: 2, magnitude: 9 }),
  ],
  augmix: [
    rg.augmenter('augmix', { severity: 3, jsd: true }),
  ],
};

for (const [name, augmenters] of Object.entries(setups)) {
  const history = rg.trainer({
    name: name,
    loss: name === 'augmix' ? rg.loss('augmix.jsd', { lambda: 12 }) : 'softmax_cross_entropy',
    optimizer: rg.optimizer('adam', { lr: 2e-3 }),
    epochs: epochs, batchSize: 32, metrics: ['accuracy'],
    augmenters: augmenters,
  }).fit(model(), data.train, data.validation);
  const acc = history.val_accuracy;
  rg.log(`${name}: final val_accuracy ${acc[acc.length - 1].toFixed(4)}`);
}
