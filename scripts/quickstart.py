# Quickstart: a small MLP on the embedded handwritten digits (1797 images of 8x8 pixels, 10 classes),
# the same run as quickstart.js, in Python.
#
#   ./regimen run scripts/quickstart.py
#   ./regimen run scripts/quickstart.py --set epochs=5

import regimen as rg

epochs = rg.param("epochs", 20)

# Split off 20% for validation and 20% for a final test; z-score with training statistics only.
data = rg.data.digits(normalize="zscore", validation=0.2, test=0.2)

model = rg.sequential([
    rg.layer("dense", units=128),
    rg.layer("relu"),
    rg.layer("dense", units=10),
])


def report(event):
    m = event["metrics"]
    rg.log(f"epoch {event['epoch']}: loss {m['loss']:.4f}, val_accuracy {m['val_accuracy']:.4f}")


trainer = rg.trainer(
    loss="softmax_cross_entropy",
    optimizer=rg.optimizer("adam", lr=1e-3),
    epochs=epochs,
    batch_size=32,
    metrics=["accuracy"],
    # Stop when validation accuracy stalls and keep the best epoch's weights.
    schedulers=[rg.scheduler("early_stopping", monitor="val_accuracy", patience=5)],
    checkpoint=True,
    on_epoch_end=report,
)

trainer.fit(model, data.train, data.validation)

# The test split was never seen during training.
test = trainer.evaluate(model, data.test)
rg.log(f"test accuracy {test['accuracy']:.4f}, test loss {test['loss']:.4f}")
