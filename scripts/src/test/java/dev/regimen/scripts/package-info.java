/** End-to-end tests: the plugin families loaded from their built files, and every example script in smoke mode. */
package dev.regimen.scripts;
