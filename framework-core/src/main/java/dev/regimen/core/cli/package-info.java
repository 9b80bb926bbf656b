/** The {@code regimen} command line: run a script, list plugins and components, print the version. */
package dev.regimen.core.cli;
