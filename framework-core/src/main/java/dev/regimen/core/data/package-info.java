/**
 * In-memory data sets, their seeded batching and splitting, the loaders for the embedded sets (digits,
 * diabetes) and for files (IDX, CSV), seeded synthetic sets, and normalizers fitted on training data.
 */
package dev.regimen.core.data;
