package dev.tether.protocols.tls;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The TLS plugin compiles against the SPI only, never against the engine's internals. */
class TlsPluginDependenciesTest {

    @Test
    void shouldDependOnlyOnTheSpiTheJdkNettyBuffersAndSlf4j() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tether.protocols.tls");
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("dev.tether.spi..",
                "dev.tether.protocols.tls..", "java..", "io.netty.buffer..", "io.netty.util..", "org.slf4j..")
                .check(main);
    }
}
