# Normalization layers on a small convolutional network over the digits as 1x8x8 images:
# batch norm (Ioffe & Szegedy 2015), layer norm (Ba et al. 2016), instance norm (Ulyanov et al. 2016)
# and group norm (Wu & He 2018); ghost batch norm (Hoffer et al. 2017), batch norm over virtual
# batches of 8 inside each batch of 32; and weight standardization (Qiao et al. 2019), whose
# convolution standardizes its filters, paired with group norm as the paper does. Batch norm uses batch statistics in training and running ones
# at evaluation; the per-sample norms compute the same thing in both modes.
#
#   ./regimen run scripts/normalization.py --set epochs=10

import regimen as rg

epochs = rg.param("epochs", 8)
data = rg.data.digits(normalize="zscore", validation=0.25, images=True)

norms = {
    "batchnorm": {},
    "layernorm": {},
    "instancenorm": {},
    "groupnorm": {"groups": 4},
    "batchnorm.ghost": {"virtual_batch_size": 8},
}

setups = [("conv2d", name, options) for name, options in norms.items()]
setups.append(("weight_standardization", "groupnorm", {"groups": 4}))

for conv, name, options in setups:
    model = rg.sequential([
        rg.layer(conv, filters=16, kernel_size=3, padding=1),
        rg.layer(name, **options),
        rg.layer("relu"),
        rg.layer("maxpool2d", pool_size=2),
        rg.layer("flatten"),
        rg.layer("dense", units=10),
    ])
    label = name if conv == "conv2d" else "ws_" + name
    history = rg.trainer(
        name=label,
        loss="softmax_cross_entropy",
        optimizer=rg.optimizer("adam", lr=2e-3),
        epochs=epochs,
        batch_size=32,
        metrics=["accuracy"],
    ).fit(model, data.train, data.validation)
    rg.log(f"{label}: final val_accuracy {history['val_accuracy'][-1]:.4f}")
