package dev.tether.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void autoShouldPickIoUringWithOneShotInputPollsWhereTheKernelOffersIt() {
        assumeTrue(Transport.available(TransportKind.IO_URING), "io_uring unavailable");

        Transport t = Transport.select(TransportKind.AUTO);

        assertThat(t.kind()).isEqualTo(TransportKind.IO_URING);
        assertThat(t.fallbackReason()).isEmpty();
        // Multishot input polls can leave a FIN that came with the last bytes unread (Transport.POLL_ADD_MULTISHOT)
        assertThat(IoUring.isPollAddMultishotEnabled()).isFalse();
    }

    @Test
    void nioShouldAlwaysBeAvailableAndHonoured() {
        assertThat(Transport.available(TransportKind.NIO)).isTrue();
        assertThat(Transport.select(TransportKind.NIO).kind()).isEqualTo(TransportKind.NIO);
    }
}
