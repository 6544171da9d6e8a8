package dev.tether.config;

import java.util.List;

/**
 * The mutable form of {@link ServerOptions} while a {@code server} or {@code default-server} line is read: it starts
 * from the {@code default-server} options in force, and each option on the line overwrites one field.
 */
final class ServerOptionsBuilder {

    boolean check;
    long inter;
    long fastInter;
    long downInter;
    int rise;
    int fall;
    int checkPort;
    String checkAddr;
    int weight;
    boolean backup;
    int maxConn;
    int maxQueue;
    long slowStart;
    boolean disabled;
    ServerOptions.Observe observe;
    int errorLimit;
    ServerOptions.OnError onError;
    ServerOptions.OnMarkedDown onMarkedDown;
    ServerOptions.OnMarkedUp onMarkedUp;
    ServerOptions.SourceAddress source;
    List<String> initAddr;
    ServerOptions.ProxyHeaderOptions proxy;
    long tcpUserTimeout;
    String track;
    ServerOptions.AgentOptions agent;
    ServerOptions.ResolveOptions resolve;

    ServerOptionsBuilder(ServerOptions o) {
        check = o.check();
        inter = o.inter();
        fastInter = o.fastInter();
        downInter = o.downInter();
        rise = o.rise();
        fall = o.fall();
        checkPort = o.checkPort();
        checkAddr = o.checkAddr();
        weight = o.weight();
        backup = o.backup();
        maxConn = o.maxConn();
        maxQueue = o.maxQueue();
        slowStart = o.slowStart();
        disabled = o.disabled();
        observe = o.observe();
        errorLimit = o.errorLimit();
        onError = o.onError();
        onMarkedDown = o.onMarkedDown();
        onMarkedUp = o.onMarkedUp();
        source = o.source();
        initAddr = o.initAddr();
        proxy = o.proxy();
        tcpUserTimeout = o.tcpUserTimeout();
        track = o.track();
        agent = o.agent();
        resolve = o.resolve();
    }

    ServerOptions build() {
        return new ServerOptions(check, inter, fastInter, downInter, rise, fall, checkPort, checkAddr, weight, backup,
                maxConn, maxQueue, slowStart, disabled, observe, errorLimit, onError, onMarkedDown, onMarkedUp, source,
                initAddr, proxy, tcpUserTimeout, track, agent, resolve);
    }
}
