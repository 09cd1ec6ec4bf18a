import { str } from './config';

export const mongoConfigSpec = (database: string) => ({
  MONGO_URL: str({
    description: 'MongoDB (or FerretDB) connection string, database included',
    default: `mongodb://127.0.0.1:27017/${database}`,
    pattern: /^mongodb(\+srv)?:\/\/.+/,
    hint: 'a mongodb:// URL',
    secret: true,
  }),
  MONGO_ENGINE: str({
    description: 'The engine behind MONGO_URL: "auto" asks the server; "ferretdb" turns on the FerretDB write workarounds, "mongodb" turns them off',
    default: 'auto',
    pattern: /^(auto|mongodb|ferretdb)$/,
    hint: 'auto, mongodb or ferretdb',
  }),
});
