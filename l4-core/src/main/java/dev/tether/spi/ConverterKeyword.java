package dev.tether.spi;

import java.util.List;
import java.util.Objects;

/**
 * A registered converter: its name, the sample type it takes ({@link SampleType#ANY} for any) and the one it gives,
 * and its factory. A sample of another type is cast to the input type where HAProxy casts implicitly
 * (the core's casts).
 */
public record ConverterKeyword(String name, SampleType input, SampleType output, String summary, Factory factory) {

    /** Binds the converter to its arguments at load time; throws IllegalArgumentException with a readable reason. */
    @FunctionalInterface
    public interface Factory {
        Converter create(List<String> args);
    }

    public ConverterKeyword {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(factory, "factory");
        if (output == SampleType.ANY) {
            throw new IllegalArgumentException("converter '" + name + "' must declare the type it gives");
        }
    }
}
