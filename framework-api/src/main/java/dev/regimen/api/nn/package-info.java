/** The layer contract: forward with a context, named parameters and buffers, shape inference, config. */
package dev.regimen.api.nn;
