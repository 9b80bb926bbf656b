// Claim: a small student trained on a large teacher's softened outputs (knowledge distillation) scores
//   better on the test set than the same student trained on the labels alone, and first guiding the
//   student's hidden layer by the teacher's (FitNets hints), then distilling, helps at least as much.
// Paper: Hinton, Vinyals, Dean 2015, "Distilling the Knowledge in a Neural Network", NIPS workshop;
//   Romero, Ballas, Kahou, Chassang, Gatta, Bengio 2015, "FitNets: Hints for Thin Deep Nets", ICLR.
// Setting: the embedded digits, z-scored, validation 20%, test 30%; teacher MLP 64-256-256-10 (ReLU),
//   Adam lr 1e-3, `epochs` (10) epochs, trained once with the run's seed and shared by every student;
//   student MLP 64-16-ReLU-10, Adam lr 1e-2, batch 32, `epochs` epochs, method = alone (cross-entropy
//   on the labels), kd (loss alpha T^2 KL(teacher_T || student_T) + (1 - alpha) CE, T = 4, alpha =
//   0.9), or fitnets (stage 1: `epochs` epochs of hint training, the student's relu_1 regressed onto
//   the teacher's relu_1; stage 2: kd as above); 3 seeds. Metric: student_test_accuracy.
//
//   ./regimen run scripts/experiments/distillation_fitnets.js     # 1 teacher and 9 students, a minute or two
//
// The run folder gets sweep-distillation_fitnets/ with summary.csv, differences.csv (against alone)
// and report.html.

const epochs = rg.param('epochs', 10);
const seeds = rg.smoke() ? [1] : [1, 2, 3];
const data = rg.data.digits({ normalize: 'zscore', validation: 0.2, test: 0.3 });

const teacher = rg.sequential([
  rg.layer('dense', { units: 256 }), rg.layer('relu'),
  rg.layer('dense', { units: 256 }), rg.layer('relu'),
  rg.layer('dense', { units: 10 }),
]);
const teacherTrainer = rg.trainer({
  name: 'teacher', loss: 'softmax_cross_entropy', optimizer: rg.optimizer('adam', { lr: 1e-3 }),
  epochs: epochs, batchSize: 32, metrics: ['accuracy'],
});
teacherTrainer.fit(teacher, data.train, data.validation);
const teacherTest = teacherTrainer.evaluate(teacher, data.test);

const result = rg.sweep((config, seed) => {
  const student = rg.sequential([rg.layer('dense', { units: 16 }), rg.layer('relu'), rg.layer('dense', { units: 10 })]);
  if (config.method === 'fitnets') {
    rg.trainer({
      name: `hints-seed${seed}`,
      loss: rg.loss('fitnets', { teacher: teacher, hint: 'relu_1', guided: 'relu_1', student: student, inputShape: [64] }),
      optimizer: rg.optimizer('adam', { lr: 1e-3 }), epochs: epochs, batchSize: 32,
    }).fit(student, data.train, data.validation);
  }
  const trainer = rg.trainer({
    name: `${config.method}-seed${seed}`,
    loss: config.method === 'alone' ? 'softmax_cross_entropy'
      : rg.loss('distillation', { teacher: teacher, temperature: 4.0, alpha: 0.9 }),
    optimizer: rg.optimizer('adam', { lr: 1e-2 }), epochs: epochs, batchSize: 32, metrics: ['accuracy'],
  });
  trainer.fit(student, data.train, data.validation);
  const test = trainer.evaluate(student, data.test);
  return { student_test_accuracy: test.accuracy };   // its loss is each trainer's own objective
}, { grid: { method: ['alone', 'kd', 'fitnets'] }, seeds: seeds, name: 'distillation_fitnets' });

const fmt = x => (x === null ? 'n/a' : x.toFixed(4));
rg.log(`teacher test accuracy ${fmt(teacherTest.accuracy)}`);
for (const s of result.summary.filter(s => s.metric === 'student_test_accuracy')) {
  rg.log(`${s.config} ${s.metric}: ${fmt(s.mean)} [${fmt(s.ci95_low)}, ${fmt(s.ci95_high)}] n=${s.n}`);
}
for (const d of result.differences.filter(d => d.metric === 'student_test_accuracy')) {
  rg.log(`${d.config} minus ${d.baseline}: ${fmt(d.mean)} [${fmt(d.ci95_low)}, ${fmt(d.ci95_high)}]`);
}
