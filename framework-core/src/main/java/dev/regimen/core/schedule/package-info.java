/**
 * Built-in schedulers: early stopping and learning-rate schedules (step, cosine, warm-up, one-cycle,
 * cosine with warm restarts, reduce on plateau), the learning-rate range test, and schedules of any
 * adjustable option of a component.
 */
package dev.regimen.core.schedule;
