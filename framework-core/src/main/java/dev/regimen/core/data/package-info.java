/**
 * In-memory data sets, their seeded batching and splitting, and the loaders for the embedded sets
 * (digits, diabetes) and for files.
 */
package dev.regimen.core.data;
