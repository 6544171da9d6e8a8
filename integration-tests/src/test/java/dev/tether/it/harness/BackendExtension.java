package dev.tether.it.harness;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the backends their annotations ask for ({@link Postgres}, {@link MariaDb}, {@link Redis},
 * {@link RabbitMq}, {@link Mosquitto}, {@link FtpServers}) as parameters or fields. Backends live in the JUnit
 * store of the scope that asked for them (test method, or class for static fields) and are stopped when that scope
 * ends, whether the test passed or not. Whether Docker and the machine's own services answer is asked once per run
 * (root store). Runs on JUnit's test threads; safe with parallel execution.
 */
public final class BackendExtension implements ParameterResolver, BeforeEachCallback, BeforeAllCallback {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BackendExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return request(parameter.getParameter().getAnnotations()) != null;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        BackendRequest request = request(parameter.getParameter().getAnnotations());
        return valueFor(parameter.getParameter().getParameterizedType(), request, context,
                "parameter " + parameter.getParameter());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field f : fields(context.getRequiredTestClass())) {
            if (Modifier.isStatic(f.getModifiers())) {
                inject(f, null, context);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field f : fields(instance.getClass())) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    inject(f, instance, context);
                }
            }
        }
    }

    private void inject(Field f, Object instance, ExtensionContext context) throws IllegalAccessException {
        BackendRequest request = request(f.getAnnotations());
        if (request == null) {
            return;
        }
        f.setAccessible(true);
        if (f.get(instance) != null) {
            return; // already filled, e.g. a static field seen again by a nested class
        }
        f.set(instance, valueFor(f.getGenericType(), request, context, "field " + f));
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> all = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            Collections.addAll(all, c.getDeclaredFields());
        }
        return all;
    }

    private static BackendRequest request(Annotation[] annotations) {
        BackendRequest found = null;
        for (Annotation a : annotations) {
            BackendRequest r = BackendRequest.of(a);
            if (r != null) {
                if (found != null) {
                    throw new ExtensionConfigurationException("one backend annotation per parameter or field");
                }
                found = r;
            }
        }
        return found;
    }

    private Object valueFor(Type type, BackendRequest request, ExtensionContext context, String where) {
        boolean wantsList = isListOfBackend(type);
        if (!wantsList && type != Backend.class) {
            throw new ExtensionConfigurationException(where + ": a backend annotation goes on a Backend or a "
                    + "List<Backend>, not on " + type.getTypeName());
        }
        Resources resources = context.getStore(NS).getOrComputeIfAbsent(Resources.class, k -> new Resources(),
                Resources.class);
        ExtensionContext root = context.getRoot();
        BackendSources sources = new BackendSources(key -> root.getStore(NS)
                .getOrComputeIfAbsent("answer:" + key, k -> new Answer(BackendSources.answer(key)), Answer.class)
                .reason());
        List<Backend> backends = sources.acquire(request, resources.list());
        return wantsList ? List.copyOf(backends) : backends.get(0);
    }

    private static boolean isListOfBackend(Type type) {
        if (!(type instanceof ParameterizedType)) {
            return false;
        }
        ParameterizedType p = (ParameterizedType) type;
        return p.getRawType() == List.class && p.getActualTypeArguments()[0] == Backend.class;
    }

    /** A memoised answer; null reason means "available". */
    private record Answer(String reason) {
    }

    /**
     * Everything started in one scope, stopped in reverse order when JUnit closes the scope's store. A failure to
     * stop one does not keep the others running.
     */
    private static final class Resources implements ExtensionContext.Store.CloseableResource {

        private final List<AutoCloseable> list = Collections.synchronizedList(new ArrayList<>());

        List<AutoCloseable> list() {
            return list;
        }

        @Override
        public void close() throws Exception {
            Exception first = null;
            List<AutoCloseable> copy;
            synchronized (list) {
                copy = new ArrayList<>(list);
                list.clear();
            }
            Collections.reverse(copy);
            for (AutoCloseable c : copy) {
                try {
                    c.close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
