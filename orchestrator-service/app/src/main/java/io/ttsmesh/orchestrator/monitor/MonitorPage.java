package io.ttsmesh.orchestrator.monitor;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** The page itself is static (META-INF/resources/monitor/); {@code /monitor} without the slash leads to it. */
@ApplicationScoped
public class MonitorPage {

    void route(@Observes Router router) {
        router.get("/monitor").handler(rc -> rc.redirect("/monitor/"));
    }
}
