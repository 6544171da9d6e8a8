package dev.tether.protocols.smtp;

import dev.tether.spi.Registrar;
import dev.tether.spi.TetherPlugin;

/** Registers the SMTP health check, {@code option smtpchk}. */
public final class SmtpCheckPlugin implements TetherPlugin {

    @Override
    public String module() {
        return "protocols";
    }

    @Override
    public void register(Registrar registrar) {
        registrar.check(SmtpCheck.KEYWORD);
    }
}
