package dev.gatehouse.gateway.websocket;

import dev.gatehouse.gateway.pipeline.ManagementPort;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.management.endpoint.EndpointDefaultConfiguration;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;

import java.net.InetSocketAddress;

/**
 * Puts an {@link UpgradeInterceptor} in front of Micronaut's request handler on every public HTTP/1.1 connection
 * (Micronaut 4's {@link NettyServerCustomizer}: the connection's pipeline, once built). WebSocket upgrades need
 * HTTP/1.1 (RFC 6455); the management port never gets one.
 */
@Singleton
public class WebSocketPipelineCustomizer implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private static final String MICRONAUT_HANDLER = "micronaut-inbound-handler";

    private final WebSocketGateway gateway;
    private final Integer managementPort;

    public WebSocketPipelineCustomizer(WebSocketGateway gateway, EndpointDefaultConfiguration endpoints) {
        this.gateway = gateway;
        this.managementPort = endpoints.getPort().orElse(null);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        NettyServerCustomizer.Registry registry = event.getBean();
        if (gateway.enabled()) {
            registry.register(new Root());
        }
        return registry;
    }

    private final class Root implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            if (role != ChannelRole.CONNECTION || onManagementPort(channel)) {
                return this;
            }
            return new Connection(channel);
        }
    }

    private boolean onManagementPort(Channel channel) {
        return managementPort != null && channel.localAddress() instanceof InetSocketAddress local
                && local.getPort() == managementPort;
    }

    private final class Connection implements NettyServerCustomizer {
        private final Channel channel;

        Connection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void onStreamPipelineBuilt() {
            // Only HTTP/1.1 connections have their request handler on the connection's own pipeline.
            if (channel.pipeline().get(MICRONAUT_HANDLER) != null && channel.pipeline().get(UpgradeInterceptor.NAME) == null) {
                channel.pipeline().addBefore(MICRONAUT_HANDLER, UpgradeInterceptor.NAME, new UpgradeInterceptor(gateway));
            }
        }
    }
}
