/** The {@code regimen} command line: run or resume a script, list plugins and components, print the version. */
package dev.regimen.core.cli;
