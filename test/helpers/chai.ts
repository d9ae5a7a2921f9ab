/**
 * Registers chai-as-promised explicitly: hardhat-ethers-chai-matchers adds it only once a network
 * connection exists, and a test file that never connects would otherwise call an undefined
 * `rejectedWith`.
 */
import { use } from "chai";
import chaiAsPromised from "chai-as-promised";

use(chaiAsPromised);
