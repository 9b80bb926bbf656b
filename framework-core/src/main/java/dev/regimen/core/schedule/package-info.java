/**
 * Built-in schedulers: early stopping and learning-rate schedules (step, cosine, warm-up, one-cycle,
 * cosine with warm restarts, reduce on plateau), and the learning-rate range test.
 */
package dev.regimen.core.schedule;
