package dev.tether.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.PortMapping;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Queue positions as HAProxy counts them for {@code %sq} and {@code %bq}: a session leaving a queue is told 1 plus the
 * sessions served from that queue while it waited, whether it was served, gave up or was redispatched.
 */
class BackendQueueTest {

    /** A queued session that records what the queue tells it; it takes every slot it is granted. */
    private static final class Waiter implements QueuedSession {
        final List<String> told = new ArrayList<>();

        @Override
        public boolean slotGranted(ServerModel server) {
            told.add("granted " + server.name());
            return true;
        }

        @Override
        public void redispatch(ServerModel downServer) {
            told.add("redispatched");
        }

        @Override
        public void leftQueue(boolean serverQueue, int position) {
            told.add((serverQueue ? "server queue " : "backend queue ") + position);
        }
    }

    private static ServerModel server(String name) throws Exception {
        ServerModel s = ServerModel.simple("b", name, 1, InetAddress.getLoopbackAddress(), PortMapping.fixed(1));
        s.state().maxConnOverride(1);
        return s;
    }

    @Test
    void positionsCountTheSessionsServedWhileWaiting() throws Exception {
        ServerModel s1 = server("s1");
        BackendQueue queue = new BackendQueue();
        Waiter first = new Waiter();
        Waiter second = new Waiter();
        Waiter third = new Waiter();
        assertThat(queue.offer(first, null, 0)).isTrue();
        assertThat(queue.offer(second, null, 0)).isTrue();
        assertThat(queue.offer(third, s1, 0)).isTrue();

        queue.slotFreed(s1); // the first takes s1's one slot
        assertThat(first.told).containsExactly("backend queue 1", "granted s1");
        s1.state().connections().decrement();
        queue.slotFreed(s1); // the second, which saw one served before it
        assertThat(second.told).containsExactly("backend queue 2", "granted s1");
        // the third waited for s1 by name and gives up: nobody was served from s1's own queue meanwhile
        assertThat(queue.remove(third)).isTrue();
        assertThat(third.told).containsExactly("server queue 1");
        assertThat(queue.size()).isZero();
    }

    @Test
    void aRedispatchedSessionIsToldItsServerQueuePosition() throws Exception {
        ServerModel s1 = server("s1");
        BackendQueue queue = new BackendQueue();
        Waiter w = new Waiter();
        queue.offer(w, s1, 0);

        assertThat(queue.serverDown(s1, true)).isEqualTo(1);

        assertThat(w.told).containsExactly("server queue 1", "redispatched");
    }
}
