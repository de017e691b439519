/** The adapter manager: lists, loads and unloads the adapters resident in the solvers' models. */
package io.synod.actors.adapters;
