/** The {@code regimen} command line: run a script, export a trained model, list plugins and components, print the version. */
package dev.regimen.core.cli;
