/** The {@code regimen} command line: run or resume a script, sweep it over options and seeds, compare runs, export a trained model, list plugins and components, print the version. */
package dev.regimen.core.cli;
