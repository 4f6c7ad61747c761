import java.util.Collection;
import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;

/**
 * The local MongoDB-wire server: mongo-java-server's H2 MVStore backend on one file, bound to the
 * given address, closed cleanly on SIGTERM.
 *
 * One change to query planning: mongo-java-server uses a unique index (the primary key among them)
 * only when a filter names exactly that index's fields, so the conditional updates MongoDB serves
 * from `_id` ({_id, version}, {_id, status}, {_id, lease...}) scanned the whole collection. Here a
 * filter that pins every field of a unique index to a plain value reads that one document through
 * the index and then applies the whole filter to it, which is what MongoDB's planner does.
 *
 * Usage: java -cp '<libs>/*:<classes>' MongoWireServer <host> <port> <data file> [autocommit ms]
 */
public final class MongoWireServer {
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: MongoWireServer <host> <port> <data file> [autocommit ms]");
      System.exit(64);
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    MVStore store = new MVStore.Builder().fileName(args[2]).open();
    store.setAutoCommitDelay(args.length > 3 ? Integer.parseInt(args[3]) : 200);
    MongoBackend backend = new IndexedBackend(store);
    MongoServer server = new MongoServer(backend);
    server.bind(host, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown));
    System.out.println("mongo-java-server listening on " + host + ":" + port + ", data in " + args[2]);
  }

  static final class IndexedBackend extends H2Backend {
    IndexedBackend(MVStore store) {
      super(store);
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
      // H2Backend's constructor opens the databases that exist already: getMvStore() is set by then.
      return IndexedDatabase.create(databaseName, getMvStore(), getCursorRegistry());
    }
  }

  static final class IndexedDatabase extends H2Database {
    private final MVStore store;

    IndexedDatabase(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
      super(databaseName, store, cursorRegistry);
      this.store = store;
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
      // The same map names as H2Database, so data written by the stock server stays readable.
      String fullName = getFullCollectionNamespace(collectionName);
      MVStore mvStore = store != null ? store : constructing;
      MVMap<Object, Document> dataMap = mvStore.openMap("databases." + fullName);
      MVMap<String, Object> metaMap = mvStore.openMap("meta." + fullName);
      return new IndexedCollection(this, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    // H2Database's constructor opens the collections that exist already, before our field is set.
    private static MVStore constructing;

    static synchronized IndexedDatabase create(String databaseName, MVStore store, CursorRegistry cursorRegistry) {
      constructing = store;
      try {
        return new IndexedDatabase(databaseName, store, cursorRegistry);
      } finally {
        constructing = null;
      }
    }
  }

  static final class IndexedCollection extends H2Collection {
    IndexedCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                      MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
      super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
      if (query.size() > 1) {
        for (Index<Object> index : getIndexes()) {
          Document pinned = pinnedKeys(index, query);
          if (pinned != null && index.canHandle(pinned)) {
            return matchDocuments(query, index.getPositions(pinned), orderBy, numberToSkip, limit, batchSize, fieldSelector);
          }
        }
      }
      return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** The filter's values for every field of a unique index, when each is a plain value; else null. */
    private static Document pinnedKeys(Index<Object> index, Document query) {
      if (!(index instanceof de.bwaldvogel.mongo.backend.AbstractUniqueIndex)) return null;
      List<IndexKey> keys = index.getKeys();
      if (keys.size() >= query.size()) return null;
      Document pinned = new Document();
      for (IndexKey key : keys) {
        if (!query.containsKey(key.getKey())) return null;
        Object value = query.get(key.getKey());
        if (value == null || value instanceof Document || value instanceof Collection || BsonRegularExpression.isRegularExpression(value)) {
          return null;
        }
        pinned.put(key.getKey(), value);
      }
      return pinned;
    }
  }
}
