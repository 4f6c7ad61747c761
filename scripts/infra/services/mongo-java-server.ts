import * as fs from 'node:fs';
import * as path from 'node:path';

import { HOST, INFRA_DIR, PATHS, PORTS, VERSIONS } from '../config';
import { cleanStaleTemps, ensureDir, replacePath, tempPathFor } from '../proc';
import { maven, requireJava } from '../toolchains';
import { probe, verify } from './mongo-checks';
import type { LocalService } from './types';

/**
 * mongo-java-server (Maven Central) with its H2 MVStore backend: one file on disk, every
 * collection keyed by `_id` with unique indexes kept as maps, and each collection's writes
 * serialised, so conditional updates of one document are atomic as on MongoDB. Its bundled main
 * (`de.bwaldvogel.mongo.H2MongoServer <file>`) binds localhost:27017 and closes the store on
 * SIGTERM; MVStore commits in the background about once a second, so a SIGKILL of this server
 * may lose the last second of writes (real MongoDB journals them). Stop it gracefully.
 */
const HOME = path.join(INFRA_DIR, 'mongo-java-server');
const LIBS = path.join(HOME, 'libs');
const DATA_DIR = path.join(PATHS.data, 'mongo-java-server');
const DATA_FILE = path.join(DATA_DIR, 'conversation-alias.mv.db');
const MAIN_CLASS = 'de.bwaldvogel.mongo.H2MongoServer';
const SERVER_JAR = `mongo-java-server-core-${VERSIONS.mongoJavaServer}.jar`;
const BACKEND_JAR = `mongo-java-server-h2-backend-${VERSIONS.mongoJavaServer}.jar`;
/** The bundled main's fixed address. */
const MAIN_PORT = 27017;

function pom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>conversation-alias.infra</groupId>
  <artifactId>mongo-java-server-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>de.bwaldvogel</groupId>
      <artifactId>mongo-java-server-h2-backend</artifactId>
      <version>${VERSIONS.mongoJavaServer}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-simple</artifactId>
      <version>${VERSIONS.slf4jSimple}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

export function isMongoJavaServer(argv: string[]): boolean {
  return argv.includes(MAIN_CLASS) && argv.includes(DATA_FILE);
}

export const mongoJavaServer: LocalService = {
  name: 'mongo',
  label: `mongo-java-server ${VERSIONS.mongoJavaServer} (H2 MVStore on disk, MongoDB wire protocol)`,
  ports: [PORTS.mongo],
  address: `${HOST}:${PORTS.mongo}`,
  startTimeoutMs: 60_000,
  stopTimeoutMs: 20_000,

  isBuilt: () => fs.existsSync(path.join(LIBS, SERVER_JAR)) && fs.existsSync(path.join(LIBS, BACKEND_JAR)),

  async build(log) {
    if (PORTS.mongo !== MAIN_PORT) throw new Error(`mongo-java-server's main listens on ${MAIN_PORT}, not ${PORTS.mongo}`);
    await requireJava();
    log(`[mongo] resolving mongo-java-server ${VERSIONS.mongoJavaServer} from Maven Central (first run only, ~30 s)…`);
    ensureDir(HOME);
    cleanStaleTemps(HOME);
    const pomDir = ensureDir(path.join(PATHS.build, 'mongo-java-server-pom'));
    fs.writeFileSync(path.join(pomDir, 'pom.xml'), pom());
    const temp = tempPathFor(LIBS);
    await maven(['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${temp}`], pomDir);
    if (!fs.existsSync(path.join(temp, BACKEND_JAR))) throw new Error(`maven did not produce ${BACKEND_JAR}`);
    replacePath(temp, LIBS);
  },

  async prepare() {
    ensureDir(DATA_DIR);
  },

  command: () => ({
    cmd: 'java',
    args: [
      '-Xms256m',
      '-Xmx1g',
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      // "localhost" must be 127.0.0.1, the address every client is given.
      '-Djava.net.preferIPv4Stack=true',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.MongoServer=info',
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      '-cp',
      `${LIBS}/*`,
      MAIN_CLASS,
      DATA_FILE,
    ],
    cwd: HOME,
  }),

  isOurs: isMongoJavaServer,

  probe,
  verify,
};
