package dev.tether.ftp;

import dev.tether.spi.CheckKeyword;
import dev.tether.spi.FilterKeyword;
import dev.tether.spi.Registrar;
import dev.tether.spi.TetherPlugin;

/** The ftp-affinity module: the FTP gateway filter and the FTP health check. */
public final class FtpPlugin implements TetherPlugin {

    @Override
    public String module() {
        return "ftp-affinity";
    }

    @Override
    public void register(Registrar r) {
        r.filter(new FilterKeyword("ftp", "FTP gateway: carries passive and active data connections through the"
                + " proxy, rewriting 227/229 replies and PORT/EPRT commands", args -> {
                    GatewaySettings settings = GatewaySettings.parse(args);
                    return ctx -> new FtpGateway(ctx, settings);
                }));
        r.check(new CheckKeyword("ftp-check", "expects the 220 greeting, then says QUIT", FtpCheck::create));
    }
}
