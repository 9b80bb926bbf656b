/** The registry that makes components by kind and name, merging the built-ins with every plugin's factories. */
package dev.regimen.core.registry;
