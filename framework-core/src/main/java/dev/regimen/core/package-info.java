/** The Regimen runtime: built-in components, data, training, checkpoints and the hosts for plugins and scripts. */
package dev.regimen.core;
