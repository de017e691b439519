// The one failure of reading, writing or validating a LoRA adapter.
package io.synod.adapters.lora;

/**
 * A LoRA adapter could not be read, written, validated or loaded. The message names the adapter, the
 * setting or tensor key at fault, and what was expected (for a shape, the expected shape). I/O and
 * safetensors failures are wrapped, with the original as the cause.
 *
 * <p>Not final, so that callers can catch one type for every adapter failure while the adapter store
 * throws a more specific {@code UnknownAdapterException} for a name it does not know.
 */
public class AdapterException extends RuntimeException {

    public AdapterException(String message) {
        super(message);
    }

    public AdapterException(String message, Throwable cause) {
        super(message, cause);
    }
}
