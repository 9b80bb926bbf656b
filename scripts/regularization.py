# Weight regularization on the digits: L1 (sparse weights), L2, decoupled weight decay, Gaussian
# weight noise and the max-norm constraint (with dropout, its partner in Srivastava et al. 2014),
# each on the same MLP. weight_stats records the fraction of near-zero weights, which
# L1 drives up while L2 only shrinks the weights.
#
#   ./regimen run scripts/regularization.py --set epochs=20

import regimen as rg

epochs = rg.param("epochs", 10)
data = rg.data.digits(normalize="zscore", validation=0.25)

variants = {
    "l1": rg.regularizer("l1", **{"lambda": 1e-3}),
    "l2": rg.regularizer("l2", **{"lambda": 1e-3}),
    "weight_decay": rg.regularizer("weight_decay", **{"lambda": 1e-2}),
    "weight_noise": rg.regularizer("weight_noise", sigma=0.05),
    "max_norm": rg.regularizer("max_norm", max_value=3.0),
}

for name, regularizer in variants.items():
    hidden = [rg.layer("dense", units=128), rg.layer("relu")]
    if name == "max_norm":
        hidden.append(rg.layer("dropout", rate=0.2))
    model = rg.sequential(hidden + [rg.layer("dense", units=10)])
    history = rg.trainer(
        name=name,
        loss="softmax_cross_entropy",
        optimizer=rg.optimizer("adam", lr=1e-3),
        epochs=epochs,
        batch_size=32,
        metrics=["accuracy"],
        regularizers=[regularizer],
        schedulers=[rg.scheduler("weight_stats", threshold=1e-2)],
    ).fit(model, data.train, data.validation)
    near_zero = history["weight_near_zero/all"][-1]
    rg.log(f"{name}: val_accuracy {history['val_accuracy'][-1]:.4f}, near-zero weights {near_zero:.3f}")
