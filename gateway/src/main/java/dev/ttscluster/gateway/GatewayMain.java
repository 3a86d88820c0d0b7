package dev.ttscluster.gateway;

import dev.ttscluster.common.config.ConfigException;
import dev.ttscluster.gateway.config.GatewayConfig;
import java.util.concurrent.CountDownLatch;

/** Runs the gateway from environment configuration until SIGTERM/SIGINT. */
public final class GatewayMain {
    private GatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        GatewayConfig cfg;
        try {
            cfg = GatewayConfig.fromEnv(System.getenv());
        } catch (ConfigException e) {
            System.err.println("gateway: bad configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Gateway gateway = Gateway.start(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            gateway.close();
                            stopped.countDown();
                        },
                        "gateway-shutdown"));
        System.out.println("gateway: http://" + cfg.bindHost() + ":" + gateway.port());
        stopped.await();
    }
}
