import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { HOST, INFRA_DIR, PATHS, PORTS, VERSIONS } from '../config';
import { cleanStaleTemps, ensureDir, replacePath, run, tempPathFor } from '../proc';
import { maven, requireJava } from '../toolchains';
import { probe, verify } from './mongo-checks';
import type { LocalService } from './types';

/**
 * mongo-java-server (Maven Central) with its H2 MVStore backend: one file on disk, every
 * collection keyed by `_id` with unique indexes kept as maps, and each collection's writes
 * serialised, so conditional updates of one document are atomic as on MongoDB. A small launcher
 * (scripts/infra/java/MongoWireServer.java, compiled here with javac) binds our address and lets
 * filters that pin a unique index's fields ({_id, version}, {_id, status}, ...) use that index
 * instead of scanning the collection. MVStore commits in the background every 200 ms and on
 * SIGTERM, so a SIGKILL of this server may lose the last 200 ms of writes (real MongoDB journals
 * them): stop it gracefully.
 */
const HOME = path.join(INFRA_DIR, 'mongo-java-server');
const LIBS = path.join(HOME, 'libs');
const DATA_DIR = path.join(PATHS.data, 'mongo-java-server');
const DATA_FILE = path.join(DATA_DIR, 'conversation-alias.mv.db');
const LAUNCHER_SOURCE = path.join(__dirname, '..', 'java', 'MongoWireServer.java');
const MAIN_CLASS = 'MongoWireServer';

/** Compiled classes live in a folder named after the launcher's source, so an edit rebuilds it. */
function classesDir(): string {
  const digest = createHash('sha256').update(fs.readFileSync(LAUNCHER_SOURCE)).digest('hex').slice(0, 12);
  return path.join(HOME, `classes-${digest}`);
}
const SERVER_JAR = `mongo-java-server-core-${VERSIONS.mongoJavaServer}.jar`;
const BACKEND_JAR = `mongo-java-server-h2-backend-${VERSIONS.mongoJavaServer}.jar`;

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
  return (argv.includes(MAIN_CLASS) || argv.includes('de.bwaldvogel.mongo.H2MongoServer')) && argv.includes(DATA_FILE);
}

export const mongoJavaServer: LocalService = {
  name: 'mongo',
  label: `mongo-java-server ${VERSIONS.mongoJavaServer} (H2 MVStore on disk, MongoDB wire protocol)`,
  ports: [PORTS.mongo],
  address: `${HOST}:${PORTS.mongo}`,
  startTimeoutMs: 60_000,
  stopTimeoutMs: 20_000,

  isBuilt: () =>
    fs.existsSync(path.join(LIBS, SERVER_JAR)) && fs.existsSync(path.join(LIBS, BACKEND_JAR)) && fs.existsSync(path.join(classesDir(), `${MAIN_CLASS}.class`)),

  async build(log) {
    await requireJava();
    log(`[mongo] preparing mongo-java-server ${VERSIONS.mongoJavaServer} (Maven Central, then javac of the launcher; first run only, ~30 s)…`);
    ensureDir(HOME);
    cleanStaleTemps(HOME);
    const pomDir = ensureDir(path.join(PATHS.build, 'mongo-java-server-pom'));
    fs.writeFileSync(path.join(pomDir, 'pom.xml'), pom());
    if (!fs.existsSync(path.join(LIBS, BACKEND_JAR))) {
      const temp = tempPathFor(LIBS);
      await maven(['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${temp}`], pomDir);
      if (!fs.existsSync(path.join(temp, BACKEND_JAR))) throw new Error(`maven did not produce ${BACKEND_JAR}`);
      replacePath(temp, LIBS);
    }
    const classes = classesDir();
    const temp = tempPathFor(classes);
    ensureDir(temp);
    await run('javac', ['-d', temp, '-cp', `${LIBS}/*`, LAUNCHER_SOURCE], { fix: 'install a Java 17+ JDK (javac), e.g. apt-get install openjdk-17-jdk-headless' });
    replacePath(temp, classes);
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
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      '-Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.MongoServer=info',
      '-Dorg.slf4j.simpleLogger.showDateTime=true',
      '-cp',
      `${LIBS}/*:${classesDir()}`,
      MAIN_CLASS,
      HOST,
      String(PORTS.mongo),
      DATA_FILE,
    ],
    cwd: HOME,
  }),

  isOurs: isMongoJavaServer,
  isCurrent: (argv) => argv.includes(MAIN_CLASS) && argv.some((arg) => arg.includes(classesDir())),

  probe,
  verify,
};
