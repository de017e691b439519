/** Few-shot prompt library for a large instruct model acting as the decomposer. */
package io.synod.decomposer.prompts;
