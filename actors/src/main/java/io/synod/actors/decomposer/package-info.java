/** The decomposer actor: plans a question (checked text, experts) before a solver runs it. */
package io.synod.actors.decomposer;
