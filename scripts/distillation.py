# Knowledge distillation (Hinton et al. 2015): a large teacher is trained first, then a small student
# learns from the teacher's softened outputs (temperature T) and the labels:
#   loss = alpha * T^2 * KL(teacher_T || student_T) + (1 - alpha) * CE(labels, student)
#
#   ./regimen run scripts/distillation.py --set epochs=15

import regimen as rg

epochs = rg.param("epochs", 10)
data = rg.data.digits(normalize="zscore", validation=0.25)

teacher = rg.sequential([
    rg.layer("dense", units=256), rg.layer("relu"),
    rg.layer("dense", units=256), rg.layer("relu"),
    rg.layer("dense", units=10),
])
rg.trainer(name="teacher", loss="softmax_cross_entropy", optimizer=rg.optimizer("adam", lr=1e-3),
           epochs=epochs, batch_size=32, metrics=["accuracy"]).fit(teacher, data.train, data.validation)


def student():
    return rg.sequential([rg.layer("dense", units=16), rg.layer("relu"), rg.layer("dense", units=10)])


alone = rg.trainer(name="student_alone", loss="softmax_cross_entropy", optimizer=rg.optimizer("adam", lr=1e-2),
                   epochs=epochs, batch_size=32, metrics=["accuracy"]).fit(student(), data.train, data.validation)

distilled = rg.trainer(
    name="student_distilled",
    loss=rg.loss("distillation", teacher=teacher, temperature=4.0, alpha=0.9),
    optimizer=rg.optimizer("adam", lr=1e-2),
    epochs=epochs, batch_size=32, metrics=["accuracy"],
).fit(student(), data.train, data.validation)

rg.log(f"student alone {alone['val_accuracy'][-1]:.4f}, distilled {distilled['val_accuracy'][-1]:.4f}")
