/** Built-in schedulers: early stopping and learning-rate schedules (step, cosine, warm-up, reduce on plateau). */
package dev.regimen.core.schedule;
